"""The developer server's side of WeChat: HTTP client, crypto, errors."""
