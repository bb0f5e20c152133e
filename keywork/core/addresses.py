"""Which client address a request comes from: what sign-in lock-outs and the limit on
one address are counted by."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _plain(value: str | None) -> str | None:
    """The address alone, without a port or the brackets around IPv6; None if the text
    is not an address (a header can hold anything)."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless Keywork runs behind proxies (KEYWORK_TRUSTED_PROXIES of them):
    then the address the outermost one saw. Each proxy adds the address it was reached
    from to the right of X-Forwarded-For, so only the entries they added are believed;
    anything further left was written by the client and could be anything."""
    proxies = settings.KEYWORK_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = _plain(forwarded[-proxies])
            if address is not None:
                return address
    return _plain(request.META.get("REMOTE_ADDR"))
