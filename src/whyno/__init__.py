"""whyno: go for the no, take no for an answer, and learn why.

The public Python API; the CLI and the web app are thin layers over it.
"""

from whyno.config import Settings, load_settings
from whyno.errors import InputError, NotFoundError, WhynoError
from whyno.ingest.crm import ImportOptions, ImportRejected, ImportResult, import_crm_csv
from whyno.store import Store, make_engine

__version__ = "0.1.0"

__all__ = [
    "ImportOptions",
    "ImportRejected",
    "ImportResult",
    "InputError",
    "NotFoundError",
    "Settings",
    "Store",
    "WhynoError",
    "__version__",
    "import_crm_csv",
    "load_settings",
    "make_engine",
]
