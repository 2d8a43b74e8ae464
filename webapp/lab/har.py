"""The lab's timeline as an HTTP Archive (HAR 1.2), for Chrome DevTools, Charles or Fiddler.

One entry per HTTP exchange of the three lanes, built from what the recorder kept: the raw
request and response with their secrets already masked, exactly as the timeline shows them.
What happened only on the phone (wx.setStorageSync, wx.showModal) is no HTTP exchange: it goes
into the log's custom ``_phoneActions`` list (HAR allows fields that start with "_").
Spec: http://www.softwareishard.com/blog/har-12-spec/
"""

from urllib.parse import parse_qsl, urljoin, urlsplit

from webapp.lab import explain

CREATOR = {"name": "WeChat Auth Lab", "version": "1.0"}
PHONE_ONLY = "CALL"  # the recorder's method for what happened only on the phone


def archive(steps, origin):
    """The HAR document for recorded exchanges; ``origin`` completes the paths of requests
    that reached this server (they were recorded without scheme and host)."""
    entries, phone_actions = [], []
    for step in steps:
        if step.method == PHONE_ONLY:
            phone_actions.append(_phone_action(step))
        else:
            entries.append(_entry(step, origin))
    return {
        "log": {
            "version": "1.2",
            "creator": CREATOR,
            "pages": [],
            "entries": entries,
            "comment": "密钥、token、session_key 和票据都已打码，和时间线上显示的一样。",
            "_phoneActions": phone_actions,
        }
    }


def _entry(step, origin):
    url = urljoin(origin, step.url)
    request_line, request_headers, request_body = _split_raw(step.raw_request)
    status_line, response_headers, response_body = _split_raw(step.raw_response)
    _, _, reason = status_line.partition(" ")[2].partition(" ")
    elapsed = step.duration_ms or 0
    request = {
        "method": step.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],  # never recorded: they carry sessions
        "headers": request_headers,
        "queryString": [
            {"name": name, "value": value}
            for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(request_body.encode()),
    }
    if request_body:
        request["postData"] = {
            "mimeType": _header(request_headers, "Content-Type"),
            "text": request_body,
        }
    return {
        "startedDateTime": step.started_at.isoformat(timespec="milliseconds") + "Z",
        "time": elapsed,
        "request": request,
        "response": {
            "status": step.status or 0,
            "statusText": reason,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": response_headers,
            "content": {
                "size": len(response_body.encode()),
                "mimeType": _header(response_headers, "Content-Type"),
                "text": response_body,
            },
            "redirectURL": _header(response_headers, "Location"),
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        # The recorder measures the whole exchange, not its phases: all of it counts as wait.
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
        "comment": explain.why(step),
        "_lanes": {"from": step.source_lane, "to": step.target_lane},
        "_source": step.source,
    }


def _phone_action(step):
    return {
        "startedDateTime": step.started_at.isoformat(timespec="milliseconds") + "Z",
        "api": step.url,
        "outcome": step.outcome,
        "comment": explain.why(step),
    }


def _split_raw(raw):
    """A recorded raw message -> (first line, [{name, value}] headers, body)."""
    head, _, body = raw.partition("\n\n")
    first, *header_lines = head.split("\n")
    headers = []
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.append({"name": name.strip(), "value": value.strip()})
    return first, headers, body


def _header(headers, name):
    return next((h["value"] for h in headers if h["name"].lower() == name.lower()), "")
