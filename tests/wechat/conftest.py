"""WeChat's own demo vector for open data, from its WXBizDataCrypt samples (every language)."""

from types import SimpleNamespace

import pytest

DEMO_ENCRYPTED_DATA = (
    "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS"
    "9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142d"
    "NCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6"
    "/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn"
    "/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4P"
    "C7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns"
    "/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYV"
    "oKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuy"
    "Db/XcxxmK01EpqOyuxINew=="
)


@pytest.fixture
def demo():
    return SimpleNamespace(
        appid="wx4f4bc4dec97d474b",
        session_key="tiihtNczf5v6AKRyjwEUhQ==",
        iv="r7BXXKkLb8qrSNn05n0qiA==",
        encrypted_data=DEMO_ENCRYPTED_DATA,
        open_id="oGZUI0egBJY1zhBYw2KhdUfwVJJE",
        timestamp=1477314187,
    )
