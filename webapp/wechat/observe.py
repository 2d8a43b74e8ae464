"""A signal for every HTTP exchange the developer server has with WeChat.

The client code stays plain ``requests``: a response hook reports each exchange, and whoever
wants to watch (the lab's timeline) subscribes. Nothing is sent when nobody listens.
"""

from blinker import Namespace

signals = Namespace()
wechat_exchange = signals.signal("wechat-exchange")


def report_exchange(response, *args, **kwargs):
    """A ``requests`` response hook: announce the finished exchange."""
    wechat_exchange.send(response)
    return response


def observed(session):
    """Attach the hook to a requests session (ours, or authlib's) and return it."""
    if report_exchange not in session.hooks["response"]:
        session.hooks["response"].append(report_exchange)
    return session
