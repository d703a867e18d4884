"""Models of the applications app."""

from django.db import models  # noqa: F401
