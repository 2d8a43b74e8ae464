"""The WeChat client reads WeChat's answers as WeChat sends them."""

import requests

from webapp.wechat.policy import wechat_body


def plain_text_answer(text):
    """jscode2session and sns/* label their UTF-8 JSON text/plain, with no charset."""
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "text/plain"
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    response._content = text.encode()
    return response


def test_json_labelled_text_plain_is_parsed_as_utf8():
    answer = plain_text_answer('{"openid":"o1","nickname":"李华"}')

    assert wechat_body("userinfo", answer) == {"openid": "o1", "nickname": "李华"}
    # What trusting the header gives: requests decodes text/* as ISO-8859-1.
    assert answer.json()["nickname"] == "李华".encode().decode("iso-8859-1")
