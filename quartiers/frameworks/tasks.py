"""Jobs of the frameworks app: building the matcher of a version once it is published.

The matcher cache lives in each process (``quartiers.frameworks.matching``): the job warms the worker that runs it
(and, through the engine's sentence-vector cache under ``var/cache/embeddings``, every process that builds the same
version later). The web workers warm their own at start (``quartiers.core.management.commands.serve``)."""

import logging

from django_tasks import task

from quartiers.frameworks.models import FrameworkVersion, VersionStatus

logger = logging.getLogger(__name__)


@task()
def warm_matcher_task(*, version_id: int) -> bool:
    """Build (and keep) the matcher of a published version; False when it is no longer published."""
    from quartiers.frameworks import matching

    version = FrameworkVersion.objects.filter(pk=version_id, status=VersionStatus.PUBLISHED).first()
    if version is None:
        return False
    warm = getattr(matching, "warm_matcher", matching.matcher_for)
    warm(version)
    logger.info("Matcher of framework version %s warmed.", version_id)
    return True
