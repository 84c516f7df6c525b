"""File names are ids: `entries/<id>.yaml`, lowercase slugs; each file names its schema for editors."""

from __future__ import annotations

from collections.abc import Iterator

from kb.checks.context import Context
from kb.load import SCHEMA_COMMENT, KnowledgeBase
from kb.model import SLUG_MAX
from kb.problems import Problem, Severity
from kb.slugs import DEVICE_HINT, is_device_name, is_slug


def check_file_names(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    for file in kb.files.values():
        suffix = _suffix(file.path)
        if suffix != ".yaml":
            yield Problem(file.path, 1, 1, "file-name", f"entry files end in '.yaml', not '{suffix}'",
                          f"rename it to entries/{file.id}.yaml")
        if not is_slug(file.id):
            yield Problem(file.path, 1, 1, "file-name",
                          f"the file name {file.id!r} is not a valid id: the id is the file name and must be a "
                          f"lowercase slug of at most {SLUG_MAX} characters",
                          "use a-z, 0-9 and single hyphens, like 'bezos-llms-are-discoveries.yaml'")
        elif is_device_name(file.id):
            yield Problem(file.path, 1, 1, "file-name",
                          f"the file name '{file.id}' is a Windows device name: the repository could not be "
                          "checked out on Windows", DEVICE_HINT)


def _suffix(path: str) -> str:
    """`PurePosixPath(path).suffix` without building a path object for each of 10,000 files."""
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def check_schema_comment(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    for file in kb.files.values():
        if file.document is not None and not file.document.first_line.startswith(SCHEMA_COMMENT):
            yield Problem(file.path, 1, 1, "schema-comment",
                          "the first line does not name the schema, so editors cannot check the file",
                          f"start the file with '{SCHEMA_COMMENT}../kb/schema/entry.schema.json' (kb fmt adds it)",
                          Severity.warning)
