"""The editorial workflow: drafts, review, preview, publishing, history and rollback.

- records.py: a record as a revision holds it (content/ snapshot + rows) and back;
  `applied()`, a revision shown in a savepoint that is always rolled back
- services.py: the writes (save a draft, ask for review, send back, publish,
  discard, restore, mark reviewed) and the states they move between
- scheduling.py: scheduled publishing through the task worker
- links.py: internal links that point at missing or unpublished pages
- diff.py, labels.py: field-by-field differences with Japanese labels
- preview.py: a draft on its real page, for staff and through a signed share link
- loading.py: `load_content` recording what it publishes as revisions (or drafts)

The admin side is careers/admin/publishing.py, record_page.py and revisions.py.
"""
