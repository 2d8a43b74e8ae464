"""The guide pages (/guide/<name>) and the decrypt page (/guide/decrypt)."""

from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.extensions import csrf
from webapp.guides import content, decrypt, samples
from webapp.lab import pitfalls
from webapp.miniapi.errors import EXPLAINED_BY_CODE

bp = Blueprint("guides", __name__, url_prefix="/guide")


@bp.app_context_processor
def guide_globals():
    """What every template may use: the landing page shows the example ids too."""
    return {"guide_concepts": content.CONCEPTS, "guide_example_ids": content.example_ids}


@bp.app_template_filter("inline_code")
def inline_code_filter(text):
    return content.inline_code(text)


@bp.app_template_filter("sample_block")
def sample_block(text):
    """A block of sample text, as written (see samples.block)."""
    return samples.block(text)


@bp.app_template_filter("sample_value")
def sample_value(value, kind):
    """A parameter's value as a sample of ``kind`` spells it (see samples.value)."""
    return samples.value(value, kind)


@bp.app_template_global("source_link")
def source_link_html(reference, label=None):
    """A link into the lab's source viewer for "path.py:function", at the function's line."""
    path, line = content.source_location(reference)
    name = reference.partition(":")[2]
    text = label or (f"{path} · {name}()" if name else path)
    if "lab.show_source" not in current_app.view_functions:
        return Markup("<code>{}</code>").format(text)
    href = url_for("lab.show_source", path=path) + (f"#L{line}" if line else "")
    return Markup(
        '<a class="g-source" href="{}"><span class="g-source-icon" aria-hidden="true">'
        "&lt;/&gt;</span> {}</a>"
    ).format(href, text)


@bp.app_template_filter("query_url")
def query_url(params, base):
    """The full URL of a call with query parameters, as a browser would send it."""
    return samples.query_url(params, base)


@bp.get("/")
def index():
    return render_template(
        "guides/index.html",
        guides=content.GUIDES,
        mp_appid=content.MINIPROGRAM_APPID,
        oa_appid=content.OFFICIAL_ACCOUNT_APPID,
    )


@bp.get("/decrypt")
def decrypt_form():
    """The empty form, or ?example=official: the form filled with WeChat's demo vector."""
    values = dict.fromkeys(decrypt.FIELD_LIMITS, "")
    example = request.args.get("example") == "official"
    if example:
        values.update(decrypt.OFFICIAL_EXAMPLE)
    return _decrypt_page(values=values, example=example)


@bp.post("/decrypt")
def decrypt_result():
    """Run the checks on what was pasted. Nothing is stored, nothing is logged."""
    try:
        csrf.protect()
        values, problems = decrypt.read_form(request.form)
    except RequestEntityTooLarge:
        return _decrypt_page(
            values=dict.fromkeys(decrypt.FIELD_LIMITS, ""),
            status=413,
            problems=["提交的内容太大了，没有处理：微信的开放数据只有几百到几千个字符。"],
        )
    if problems:
        return _decrypt_page(values=values, problems=problems, status=400)
    return _decrypt_page(values=values, report=decrypt.run(values))


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    return _decrypt_page(
        values=dict.fromkeys(decrypt.FIELD_LIMITS, ""),
        status=400,
        problems=[
            "表单已失效：缺少 CSRF 令牌，或它对不上（页面可能打开太久了，或 cookie 被清掉了）。"
            "请重新打开本页再提交一次。"
        ],
    )


@bp.get("/<name>")
def guide(name):
    found = content.GUIDES_BY_NAME.get(name)
    if found is None:
        abort(404)
    position = content.GUIDES.index(found)
    callback_url = url_for("h5.callback", _external=True)
    return render_template(
        found.template,
        guide=found,
        guides=content.GUIDES,
        previous=content.GUIDES[position - 1] if position else None,
        next=content.GUIDES[position + 1] if position + 1 < len(content.GUIDES) else None,
        mp_appid=content.MINIPROGRAM_APPID,
        oa_appid=content.OFFICIAL_ACCOUNT_APPID,
        ids=content.example_ids(),
        api_host=content.API_HOST,
        open_host=content.OPEN_HOST,
        host=request.host_url.rstrip("/"),
        callback_url=callback_url,
        callback_encoded=quote(callback_url, safe=""),
        snapshot_page=pitfalls.SNAPSHOT_PAGE,
        api_codes=EXPLAINED_BY_CODE,  # what our codes mean, beside a try button's answer
    )


def _decrypt_page(values, status=200, problems=(), report=None, example=False):
    response = current_app.make_response(
        (
            render_template(
                "guides/decrypt.html",
                values=values,
                problems=problems,
                report=report,
                example=example,
                limits=decrypt.FIELD_LIMITS,
                guides=content.GUIDES,
                official=decrypt.OFFICIAL_EXAMPLE,
                mp_appid=content.MINIPROGRAM_APPID,
            ),
            status,
        )
    )
    # The page may hold a session_key and decrypted personal data: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response
