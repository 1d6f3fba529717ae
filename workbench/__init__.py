"""DLMS Workbench: a diagnostic workbench for DLMS/COSEM electricity meters."""

__version__ = "0.1.0"
