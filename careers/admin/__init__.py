"""The admin: one module per kind of work, registered on the admin site.

- site.py: the admin site (two-factor login) and what every admin page shares
- content.py: the editors' workspace (offices with their merits and FAQs, roles,
  pages, terms); aids.py its editing aids (limits, counters, comparison fields)
- diagnosis.py: the 適職診断's questions and answers (editors)
- publishing.py: saving stores a draft; record_page.py a record's 公開・履歴 page
  (review, publish, schedule, share, rollback); revisions.py the editors'
  dashboard, previews and comparisons
- inbox.py: the agents' inbox of consultation requests; filters.py its list filters
- exports.py: CSV export of requests
- access_log.py: who viewed or exported which request (superusers)

Who may do what is set by the groups in careers/staff.py (`manage.py setup_groups`).
"""

from careers.admin import access_log, content, diagnosis, inbox, revisions

__all__ = ["access_log", "content", "diagnosis", "inbox", "revisions"]
