"""Compares launchready's email verdicts with checkdmarc's on the sandbox zones."""
import json, subprocess, sys
# usage: python3 compare.py SANDBOX_DIR DNS_PORT HTTPS_PORT [LAUNCHREADY] [CHECKDMARC_PYTHON]
# (values printed by `launchready demo --serve`; checkdmarc installed with `pip install checkdmarc`)
import os
D, PORT, HTTPS = sys.argv[1], sys.argv[2], sys.argv[3]
BIN = sys.argv[4] if len(sys.argv) > 4 else "target/debug/launchready"
PY = sys.argv[5] if len(sys.argv) > 5 else "python3"
WRAP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_checkdmarc.py")
OUT = os.environ.get("TMPDIR", "/tmp")
doms = ["acme-good.test", "acme-broken.test", "mail.acme-broken.test", "notify.acme-broken.test",
        "news.acme-broken.test", "legacy.acme-broken.test", "marketing.acme-broken.test",
        "relay.acme-broken.test", "mail2.acme-broken.test", "nullmx.acme-broken.test",
        "mail3.acme-broken.test", "acme-hostile.test"]
for d in doms:
    cfg = os.path.join(OUT, f"lr-email-{d}.toml")
    sel = 'dkim_selectors = ["weak", "tiny", "broken", "revoked", "missing"]\n' if d == "acme-broken.test" else ""
    open(cfg, "w").write(f'[target]\ndomain = "{d}"\nhttps_port = {HTTPS}\n\n[email]\n{sel}')
    ours = subprocess.run([BIN, "audit", "--config", cfg, "--dns-server", f"127.0.0.1:{PORT}",
                           "--ca-file", f"{D}/ca.pem", "--only", "email", "--format", "json", "--no-progress"], capture_output=True)
    r = json.loads(ours.stdout)
    ids = sorted({f["id"] + ("" if f["subject"] in (d,) else "@" + f["subject"].split(".")[0]) for f in r["findings"]})
    spf = (r["measurements"].get("email", {}).get("spf") or [{}])[0]
    cd = subprocess.run([PY, WRAP, PORT, d, "-n", "127.0.0.1", "-t", "3"], capture_output=True)
    c = json.loads(cd.stdout)
    def s(x):
        if x.get("valid"): return "valid" + ("; warnings: " + " | ".join(x.get("warnings", [])) if x.get("warnings") else "")
        return "ERROR: " + str(x.get("error"))[:400] + ("; warnings: " + " | ".join(x.get("warnings", [])) if x.get("warnings") else "")
    print(f"### {d}")
    print("ours:", ", ".join(ids) or "(none)", "| spf lookups", spf.get("lookups"), "void", spf.get("void_lookups"))
    print("checkdmarc mx:", json.dumps([h["hostname"] for h in c["mx"].get("hosts", [])]), c["mx"].get("error", ""), c["mx"].get("warnings", []))
    print("checkdmarc spf:", s(c["spf"]), "| lookups", c["spf"].get("dns_lookups"), "void", c["spf"].get("void_dns_lookups"))
    print("checkdmarc dmarc:", s(c["dmarc"]), "| location", c["dmarc"].get("location"), "| p", (c["dmarc"].get("tags") or {}).get("p", {}).get("value"))
    print("checkdmarc mta-sts:", s(c["mta_sts"])[:200])
    print()
