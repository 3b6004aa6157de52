"""Package versions read from their metadata are what importlib.metadata says."""

from importlib import metadata

import pytest

from beleidzoek.index.versions import package_version


@pytest.mark.parametrize("name", ["wordfreq", "PyStemmer", "pystemmer", "snowballstemmer",
                                  "Whoosh-Reloaded", "whoosh_reloaded", "click", "beleidzoek"])
def test_versions_are_importlib_metadatas(name):
    assert package_version(name) == metadata.version(name)


def test_a_missing_package_raises_as_importlib_metadata_does():
    with pytest.raises(metadata.PackageNotFoundError):
        package_version("no-such-package-beleidzoek")
