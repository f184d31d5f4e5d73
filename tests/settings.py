"""Test settings: the project's own, with a fast password hasher.

Staff users are created in many tests; the production hasher (PBKDF2, hundreds
of thousands of iterations by design) would dominate their run time.
"""

from guide.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
