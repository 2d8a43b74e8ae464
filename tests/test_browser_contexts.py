"""The browser tests' context pool: a context lent again is as clean as a new one."""

from tests.support import LOCAL, TabWatch


def test_a_context_lent_again_keeps_nothing_of_the_last_test(browser_contexts, live_server):
    tab = browser_contexts.take()
    watch = TabWatch(tab, LOCAL)
    tab.goto("/h5/about")
    tab.evaluate(
        "() => { localStorage.setItem('left', '1'); sessionStorage.setItem('left', '1'); }"
    )
    tab.context.add_cookies([{"name": "left", "value": "1", "url": live_server.url}])
    tab.context.grant_permissions(["geolocation"])
    popup = tab.context.new_page()
    browser_contexts.give_back(tab, watch.origins)

    again = browser_contexts.take()
    assert again.context is tab.context  # the same context, lent again
    assert popup.is_closed() and again.context.pages == [tab, again]
    assert tab.url == "about:blank"  # the last test's tab is left blank, its scripts gone
    again.goto("/h5/about")
    assert again.context.cookies() == []
    assert again.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
    permission = again.evaluate(
        "async () => (await navigator.permissions.query({ name: 'geolocation' })).state"
    )
    assert permission == "prompt"
    browser_contexts.give_back(again)
