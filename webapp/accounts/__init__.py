"""The developer server's users: people, their WeChat identities, and the tokens we issue."""
