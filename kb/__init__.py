"""We Don't Know How: a sourced knowledge base of what AI experts say they do not understand about LLMs."""

__version__ = "0.1.0"
