"""Claims: what each outlet says about each fact.

facts -> :func:`extract_claims` (CLAIMS) -> :func:`link_claims` (CLAIM_LINKS,
after embedding) -> :func:`group_claims` (the claim groups of the report).
"""

from consistency.claims.extract import extract_claims
from consistency.claims.groups import group_claims
from consistency.claims.link import LinkConfig, link_claims

__all__ = ["LinkConfig", "extract_claims", "group_claims", "link_claims"]
