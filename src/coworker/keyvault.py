"""Dialsheet keys at rest: encrypted with Fernet under COWORKER_SECRET_KEY, never returned.

In development, with no secret set, one is generated once and kept in the data directory
(readable by the owner only), so a local install works with nothing configured. Production
refuses to start without COWORKER_SECRET_KEY (see Settings).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from coworker.config import Settings
from coworker.errors import ConfigError


class KeyVault:
    def __init__(self, secret: bytes) -> None:
        try:
            self._fernet = Fernet(secret)
        except ValueError as error:
            raise ConfigError(
                "COWORKER_SECRET_KEY must be a Fernet key (32 url-safe base64 bytes); "
                "make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            ) from error

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyVault:
        if settings.secret_key is not None:
            return cls(settings.secret_key.get_secret_value().encode())
        if settings.environment == "production":
            raise ConfigError("COWORKER_SECRET_KEY is required in production")
        return cls(_development_secret(settings.data_dir))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise ConfigError(
                "a stored Dialsheet key cannot be decrypted: COWORKER_SECRET_KEY changed; "
                "reconnect the key"
            ) from error


def _development_secret(data_dir: Path) -> bytes:
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = Fernet.generate_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secret)
    return secret
