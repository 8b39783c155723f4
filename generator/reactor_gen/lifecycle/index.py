"""Asking a package index which versions of a project it has (PEP 691 JSON, PEP 503 HTML).

``versions(index_url, "reactor-models-longlive-v2")`` reads ``{index}/{project}/`` of the
simple API. It asks for JSON first and accepts HTML; file names are parsed with
:mod:`packaging.utils`; a missing project (404) is an empty list. A redirect to another
host (pypiserver's "fallback to pypi.org") is treated as "not on this index", so a
private index never borrows public versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from reactor_gen.lifecycle.common import LifecycleError

if TYPE_CHECKING:  # httpx is imported where it is used: `reactor-gen build` never needs it
    import httpx

__all__ = ["index_url_for", "newest_version", "versions"]

_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, "
    "application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
)
_KNOWN_UPLOAD_HOSTS = {
    "upload.pypi.org": "https://pypi.org/simple/",
    "test.pypi.org": "https://test.pypi.org/simple/",
}


def index_url_for(repository_url: str) -> str:
    """The simple-API base URL that goes with an upload URL.

    ``https://upload.pypi.org/legacy/`` → ``https://pypi.org/simple/``; anything else
    (pypiserver, a plain upload root) → ``<repository_url>/simple/``. Pass
    ``--index-url`` for indexes with other layouts (devpi, Artifactory...).
    """
    host = urlsplit(repository_url).hostname or ""
    if host in _KNOWN_UPLOAD_HOSTS:
        return _KNOWN_UPLOAD_HOSTS[host]
    base = repository_url.rstrip("/")
    if base.endswith("/legacy"):
        base = base[: -len("/legacy")]
    return base + "/simple/"


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            text = "".join(self._text).strip()
            path = urlsplit(self._href).path
            self.names.append(text or path.rsplit("/", 1)[-1])
            self._href = None


def _version_of(filename: str, project: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            name, version, _build, _tags = parse_wheel_filename(filename)
        elif filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
        else:
            return None
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None
    return version if name == project else None


def _from_names(names: Iterable[str], project: str) -> list[Version]:
    found = {v for v in (_version_of(n, project) for n in names) if v is not None}
    return sorted(found)


def _get(client: httpx.Client, url: str) -> httpx.Response | None:
    origin = urlsplit(url).netloc
    for _ in range(5):
        response = client.get(url, headers={"Accept": _ACCEPT})
        if response.is_redirect:
            target = urljoin(url, response.headers.get("location", ""))
            if urlsplit(target).netloc != origin:
                return None  # fallback to another index: not on this one
            url = target
            continue
        return response
    return None


def versions(
    index_url: str,
    project: str,
    *,
    auth: tuple[str, str] | None = None,
    timeout: float = 30.0,
) -> list[Version]:
    """Every version of ``project`` on the index (sorted ascending; [] when absent)."""
    import httpx

    name = canonicalize_name(project)
    url = index_url.rstrip("/") + f"/{name}/"
    try:
        with httpx.Client(auth=auth, timeout=timeout, follow_redirects=False) as client:
            response = _get(client, url)
    except httpx.HTTPError as exc:
        raise LifecycleError(
            f"cannot reach the package index {index_url}: {exc or type(exc).__name__}"
        ) from exc
    if response is None or response.status_code == 404:
        return []
    if response.status_code in (401, 403):
        raise LifecycleError(
            f"the package index {index_url} refused access (HTTP {response.status_code}); "
            "check the credentials"
        )
    if response.status_code != 200:
        raise LifecycleError(f"the package index answered HTTP {response.status_code} for {url}")
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        try:
            data: Any = response.json()
        except ValueError as exc:
            raise LifecycleError(f"the package index sent invalid JSON for {url}") from exc
        files = data.get("files", []) if isinstance(data, dict) else []
        names = [f.get("filename", "") for f in files if isinstance(f, dict)]
        found = set(_from_names(names, name))
        for raw in data.get("versions", []) if isinstance(data, dict) else []:
            try:
                found.add(Version(str(raw)))
            except InvalidVersion:
                continue
        return sorted(found)
    parser = _Anchors()
    parser.feed(response.text)
    return _from_names(parser.names, name)


def newest_version(
    index_url: str,
    project: str,
    *,
    auth: tuple[str, str] | None = None,
    include_prereleases: bool = True,
) -> Version | None:
    """The highest version of ``project`` on the index, None when it has none."""
    found = versions(index_url, project, auth=auth)
    if not include_prereleases:
        found = [v for v in found if not v.is_prerelease]
    return found[-1] if found else None
