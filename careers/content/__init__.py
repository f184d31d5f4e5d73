"""content/ ↔ database.

- schema.py: the keys each kind of file takes; Problem and ContentError
- reader.py, validation.py: read and validate every file (`path:line: message`)
- snapshots.py: a record as the plain data its file holds (and its fingerprint)
- loading.py: `load()`, the whole tree upserted in one transaction
- exporting.py: `export()`, the database written back byte for byte
"""

from careers.content.exporting import export
from careers.content.loading import Change, load
from careers.content.schema import ContentError, Problem
from careers.content.validation import read_tree

__all__ = ["Change", "ContentError", "Problem", "export", "load", "read_tree"]
