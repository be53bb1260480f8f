"""Files the commands write (`lifeact export`, `lifeact brief`): refused before any work when the
path is a folder or exists without --force, then written atomically by exports.save."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.cli import OUTPUT_EXISTS, USAGE_ERROR, CommandFailed
from app.i18n import gettext as _
from app.services import exports
from app.services.errors import ServiceError


def check_output(command: str, output: Path, example: str, force: bool) -> None:
    """Before opening the store, so a refusal costs nothing; exports.save checks again when writing."""
    if output.is_dir():
        message = _("{path} is a folder; give a file path such as {example}").format(path=output, example=output / example)
        raise CommandFailed(USAGE_ERROR, f"lifeact {command}: {message}")
    if output.exists() and not force:
        message = _("{path} already exists; nothing was written (--force replaces it)").format(path=output)
        raise CommandFailed(OUTPUT_EXISTS, f"lifeact {command}: {message}")


def write_output(command: str, data: bytes | Iterable[bytes], output: Path, force: bool) -> Path:
    try:
        return exports.save(data, output, force=force)
    except exports.OutputExists as exc:
        raise CommandFailed(OUTPUT_EXISTS, f"lifeact {command}: {exc.message} ({exc.expected})") from None
    except ServiceError as exc:
        raise CommandFailed(USAGE_ERROR, f"lifeact {command}: {exc.message} ({exc.expected})") from None
    except OSError as exc:
        message = _("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)
        raise CommandFailed(USAGE_ERROR, f"lifeact {command}: {message}") from None
