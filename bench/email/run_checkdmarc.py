"""Runs checkdmarc against a DNS server on a non-standard port (the launchready sandbox).

usage: python run_checkdmarc.py PORT [checkdmarc args...]
dnspython builds its name servers from Resolver.port when `nameservers` is assigned, so
setting the port in reset() makes `-n 127.0.0.1` mean 127.0.0.1:PORT.
"""
import sys
import dns.resolver

PORT = int(sys.argv.pop(1))
_orig = dns.resolver.Resolver.reset


def _reset(self):
    _orig(self)
    self.port = PORT


dns.resolver.Resolver.reset = _reset

import dns.nameserver  # noqa: E402

_do53 = dns.nameserver.Do53Nameserver.__init__


def _do53_init(self, address, port=53, *a, **k):
    _do53(self, address, PORT if port == 53 else port, *a, **k)


dns.nameserver.Do53Nameserver.__init__ = _do53_init
from checkdmarc._cli import _main  # noqa: E402

sys.argv[0] = "checkdmarc"
_main()
