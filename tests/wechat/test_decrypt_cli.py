"""``flask wechat decrypt``: plaintext JSON on success, code and likely cause on failure."""

import base64
import json

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad


def decrypt(runner, demo, *extra, appid=None):
    return runner.invoke(
        args=[
            "wechat",
            "decrypt",
            "--appid",
            appid or demo.appid,
            "--session-key",
            demo.session_key,
            "--iv",
            demo.iv,
            "--data",
            demo.encrypted_data,
            *extra,
        ]
    )


def test_prints_the_demo_vectors_plaintext(runner, demo):
    result = decrypt(runner, demo)

    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["openId"], data["nickName"]) == ("oGZUI0egBJY1zhBYw2KhdUfwVJJE", "Band")
    assert data["watermark"] == {"timestamp": 1477314187, "appid": "wx4f4bc4dec97d474b"}
    assert result.stdout.startswith('{\n  "openId"')  # pretty, in the data's own order


def test_prints_chinese_as_is(runner):
    key, iv = bytes(range(16)), bytes(16)
    payload = {"nickName": "微信用户", "watermark": {"appid": "wx5d1c4a0f3e2b7a91", "timestamp": 1}}
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(json.dumps(payload).encode(), 16))

    result = runner.invoke(
        args=[
            "wechat",
            "decrypt",
            "--appid",
            "wx5d1c4a0f3e2b7a91",
            "--session-key",
            base64.b64encode(key).decode(),
            "--iv",
            base64.b64encode(iv).decode(),
            "--data",
            base64.b64encode(ciphertext).decode(),
        ]
    )

    assert result.exit_code == 0
    assert '"nickName": "微信用户"' in result.stdout


def test_wrong_appid_exits_1_with_code_and_cause(runner, demo):
    result = decrypt(runner, demo, appid="wx5d1c4a0f3e2b7a91")

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "error -41003: watermark appid 'wx4f4bc4dec97d474b' is not this app's "
        "appid 'wx5d1c4a0f3e2b7a91'"
    )
    assert lines[1].startswith("likely cause: the data was encrypted for another appid")


def test_max_age_rejects_the_old_demo_vector(runner, demo):
    result = decrypt(runner, demo, "--max-age", "60")

    assert result.exit_code == 1
    assert result.stderr.startswith("error -41003: watermark timestamp is ")
