"""The admin: one module per kind of work, registered on the admin site.

- site.py: the admin site (two-factor login) and what every admin page shares
- content.py: the editors' workspace (offices, roles, points, FAQs, pages, terms)
- diagnosis.py: the 適職診断's questions and answers (editors)
- inbox.py: the agents' inbox of consultation requests; filters.py its list filters
- exports.py: CSV export of requests
- access_log.py: who viewed or exported which request (superusers)

Who may do what is set by the groups in careers/staff.py (`manage.py setup_groups`).
"""

from careers.admin import access_log, content, diagnosis, inbox

__all__ = ["access_log", "content", "diagnosis", "inbox"]
