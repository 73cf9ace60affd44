"""permanence-kg: an evidence-backed knowledge graph of English councils' permanence guidance."""

__version__ = "0.1.0"
