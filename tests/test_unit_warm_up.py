"""A gunicorn worker loads the search's dictionaries before it takes requests, so that the
first search of a worker is not seconds slower than the others."""

from search import thesaurus
from search.analysis import lemma_dictionary, lexicon
from wissensnetz import gunicorn_conf


def test_a_new_worker_loads_the_dictionaries_before_its_first_search(settings, tmp_path):
    path = tmp_path / "th_de.dat"
    path.write_text("UTF-8\nkita|1\n(Nomen)|Kindertagesstätte\n", encoding="utf-8")
    settings.WISSENSNETZ_THESAURUS = str(path)
    lexicon.cache_clear()
    lemma_dictionary.cache_clear()

    gunicorn_conf.post_worker_init(worker=None)

    assert lexicon.cache_info().currsize == 1
    assert lemma_dictionary.cache_info().currsize == 1
    # Loaded by the hook, not by a search: the cache holds the file's thesaurus already.
    assert thesaurus._loaded.get(str(path)) is not None
