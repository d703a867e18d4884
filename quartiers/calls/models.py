"""Models of the calls app."""

from django.db import models  # noqa: F401
