"""Assigning new posts to campaigns: near-duplicate text or shared strong indicators.

For each new post, in order:

1. **Near-duplicates.** Posts that share one of its 12 LSH band keys (the
   index lives in the ``lsh_buckets`` table) are candidates; those whose
   signatures agree on at least :data:`~suar.warn.similarity.JACCARD_THRESHOLD`
   of their values are near-duplicates, and their campaigns are linked.
2. **Strong indicators.** Each of its link keys (:mod:`suar.warn.linking`)
   that is not capped links the live campaigns already holding that value.
3. The post joins the oldest linked campaign; every other linked campaign is
   merged into it (the older survives, the merged one points to it). A post
   linked to nothing starts a new campaign.
4. **Spread.** A value counts one more *unrelated* post when the post is not
   a near-duplicate of a post of the campaign already holding the value;
   at ``unrelated_posts_cap`` the value is capped and stops linking.

A batch is read from the database once (bucket entries, candidate signatures,
campaigns and indicator rows it may touch), assigned in memory, and written
back with a few bulk statements, all inside the caller's unit of work, which
also holds the assignment lock: the same posts in the same order always give
the same campaigns, however they are cut into batches.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from suar.store.campaign_indicators import CampaignIndicator, CampaignIndicatorRepository, Spread
from suar.store.campaigns import CampaignRecord, CampaignRepository
from suar.store.lsh import LshRepository
from suar.store.posts import PostRepository
from suar.warn.campaign_state import CampaignState, PostToAssign
from suar.warn.linking import LinkKey
from suar.warn.rules import CampaignRules, rules
from suar.warn.similarity import BANDS, JACCARD_THRESHOLD, NUM_PERM

logger = logging.getLogger(__name__)

_MIN_EQUAL = int(np.ceil(JACCARD_THRESHOLD * NUM_PERM))


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """What a batch did to campaigns."""

    #: post id → id of the live campaign holding it after the batch (see ``touched``)
    campaign_of: dict[int, int]
    #: live campaigns the batch touched, by id, as stored after it
    touched: dict[int, CampaignRecord]
    #: refs of the campaigns the batch started
    created: tuple[str, ...]
    #: (merged ref, ref of the campaign it was merged into), in order
    merges: tuple[tuple[str, str], ...]
    #: posts linked to an earlier post by near-duplicate text / by a shared value
    by_text: int
    by_indicator: int


@dataclass
class _Row:
    posts: int
    first_seen: datetime
    last_seen: datetime
    dirty: bool = False


def new_ref() -> str:
    """A fresh random campaign ref: ``cmp_`` and 16 hex digits."""
    return "cmp_" + secrets.token_hex(8)


#: Provisional ids of campaigns started in this batch sort after every stored one.
_NEW_BASE = 1 << 62
#: Posts a :class:`Signatures` holds at most (about 450 bytes each with their key and campaign).
SIGNATURES_KEPT = 2_000_000


class Signatures:
    """Signatures of stored posts that one process has seen, and their campaigns then.

    A stored post's signature never changes, so a process that read it once,
    or stored the post itself, need not read it again: at a million posts,
    those reads are random reads all over the posts table, whose rows carry
    their text. Nor need it read the post's campaign again: a post leaves its
    campaign only when that campaign is merged, and a merged campaign keeps
    pointing to the one it joined, which assignment follows whenever it loads
    a campaign. Campaigns themselves are always read afresh from the
    database, which other processes write too. Holds at most ``limit`` posts;
    past it, the others are read each time, as without it.
    """

    def __init__(self, limit: int = SIGNATURES_KEPT) -> None:
        self._known: dict[int, tuple[bytes, int]] = {}
        self._staged: dict[int, tuple[bytes, int]] = {}
        self._limit = limit

    def get(self, post_id: int) -> tuple[bytes, int] | None:
        """The post's signature as stored (256 bytes) and the campaign it was in when seen."""
        return self._known.get(post_id)

    def add(self, post_id: int, signature: bytes, campaign: int) -> None:
        """Remember a committed post's signature and campaign (while there is room)."""
        if len(self._known) < self._limit or post_id in self._known:
            self._known[post_id] = (signature, campaign)

    def stage(self, posts: dict[int, tuple[bytes, int]]) -> None:
        """Hold a batch's new posts until :meth:`keep` (replaces any held)."""
        self._staged = posts

    def keep(self) -> None:
        """Remember the staged posts: call it once their unit of work has committed."""
        for post_id, (signature, campaign) in self._staged.items():
            self.add(post_id, signature, campaign)
        self._staged = {}


class _Batch:
    """The in-memory view of everything one batch may read or change."""

    def __init__(
        self,
        session: Session,
        posts: Sequence[PostToAssign],
        now: datetime,
        known: Signatures | None,
    ) -> None:
        self.session = session
        self.known = known
        self.now = now
        self.rules: CampaignRules = rules().campaigns
        self.campaigns = CampaignRepository(session)
        self.indicators = CampaignIndicatorRepository(session)
        self.parent: dict[int, int] = {}
        self.states: dict[int, CampaignState] = {}
        # Band keys are salted per band, so a key alone names its band's bucket.
        self.buckets: dict[int, list[int]] = {}
        #: stored candidate → its signature as stored (``None``: too short) and campaign
        self.sigs: dict[int, tuple[bytes | None, int]] = {}
        #: the batch's posts → their signature as it is stored
        self.new_sigs: dict[int, bytes] = {}
        self.holders: dict[LinkKey, dict[int, _Row]] = {}
        #: campaign id → the keys it has a row for in ``holders`` (what a merge moves)
        self.held: dict[int, set[LinkKey]] = {}
        self.spreads: dict[LinkKey, Spread] = {}
        self.dirty_spreads: set[LinkKey] = set()
        self.new_lsh: list[tuple[int, int, int]] = []
        self.post_campaign: dict[int, int] = {}
        self.seen_at: dict[int, datetime] = {}
        self.created: list[int] = []
        self.merges: list[tuple[int, int]] = []
        self.by_text = 0
        self.by_indicator = 0
        #: per new post, the stored posts it was verified to be a near-duplicate of
        self.verified: dict[int, set[int]] = {}
        #: per new post, the batch's earlier posts it was verified to be a near-duplicate of
        self.near_in_batch: dict[int, list[int]] = {}
        self._prefetch(posts)

    # --- reading --------------------------------------------------------------------

    def _prefetch(self, posts: Sequence[PostToAssign]) -> None:
        wanted = {key for p in posts if p.signature is not None for key in p.bands}
        buckets = self.buckets
        for key, _band, post_id in LshRepository(self.session).entries(wanted):
            entries = buckets.get(key)
            if entries is None:
                buckets[key] = [post_id]
            else:
                entries.append(post_id)
        candidates = {post_id for entries in buckets.values() for post_id in entries}
        self._read_signatures(candidates)
        needed = self._plan(posts)
        keys = {key for p in posts for key in p.links}
        self.spreads = self.indicators.spreads(keys)
        open_keys = [k for k in keys if not self._capped(k)]
        for row in self.indicators.holders(open_keys):
            link = (row.kind, row.value)
            self.holders.setdefault(link, {})[row.campaign_id] = _Row(
                row.posts, row.first_seen, row.last_seen
            )
            self.held.setdefault(row.campaign_id, set()).add(link)
        needed |= {c for rows in self.holders.values() for c in rows}
        self._load(needed)

    def _read_signatures(self, candidates: set[int]) -> None:
        """Each candidate's signature and campaign, from ``known`` when it holds them."""
        known, sigs = self.known, self.sigs
        unknown = candidates
        if known is not None:
            unknown = set()
            for post_id in candidates:
                if (seen := known.get(post_id)) is not None:
                    sigs[post_id] = seen
                else:
                    unknown.add(post_id)
        for post_id, (minhash, campaign) in (
            PostRepository(self.session).signatures(unknown).items()
        ):
            sigs[post_id] = (minhash, campaign)
            if known is not None and minhash is not None:
                known.add(post_id, minhash, campaign)

    def _plan(self, posts: Sequence[PostToAssign]) -> set[int]:
        """Index the batch's posts under their band keys and verify every candidate at once.

        Which posts a post shares a bucket with does not depend on campaigns:
        the stored ones, and the batch's earlier ones that their buckets took
        (a full bucket takes no more). So the index is built here, in order, and
        all candidate pairs are compared in a few numpy operations instead of a
        few per post; :meth:`assign` then only looks up the campaigns. Returns
        the campaigns of the stored near-duplicates (to load).
        """
        signed = [(p, p.signature) for p in posts if p.signature is not None]
        stored = [(c, sig) for c, (sig, _) in self.sigs.items() if sig is not None]
        # Rows of one matrix: the stored candidates', then the batch's as they are indexed.
        base = len(stored)
        row_of = {c: i for i, (c, _) in enumerate(stored)}
        pairs: tuple[list[int], list[int]] = ([], [])
        cap, buckets, new_lsh = self.rules.bucket_cap, self.buckets, self.new_lsh
        for row, (post, _) in enumerate(signed, start=base):
            post_id = post.post_id
            shared: set[int] = set()
            for band, key in enumerate(post.bands):
                entries = buckets.get(key)
                if entries is None:
                    buckets[key] = [post_id]
                else:
                    shared.update(entries)
                    if len(entries) >= cap:
                        continue
                    entries.append(post_id)
                new_lsh.append((key, band, post_id))
            for other in shared:
                if (found := row_of.get(other)) is not None:
                    pairs[0].append(row)
                    pairs[1].append(found)
            row_of[post_id] = row
        if not signed:
            return set()
        # One buffer, one array: far cheaper than stacking tens of thousands of rows.
        mine = self.new_sigs
        mine.update((p.post_id, sig.astype("<u4").tobytes()) for p, sig in signed)
        raw = b"".join([sig for _, sig in stored] + [mine[p.post_id] for p, _ in signed])
        matrix = np.frombuffer(raw, dtype="<u4").reshape(len(stored) + len(signed), -1)
        needed: set[int] = set()
        for row, other in _near_pairs(matrix, pairs):
            post_id = signed[row - base][0].post_id
            if other < base:
                stored_id = stored[other][0]
                self.verified.setdefault(post_id, set()).add(stored_id)
                needed.add(self.sigs[stored_id][1])
            else:
                earlier = signed[other - base][0].post_id
                self.near_in_batch.setdefault(post_id, []).append(earlier)
        return needed

    def _load(self, ids: set[int]) -> None:
        missing = ids - self.states.keys()
        while missing:
            records = self.campaigns.get_many(missing)
            for record in records.values():
                self.states[record.id] = CampaignState.from_record(record)
                if record.merged_into is not None:
                    # A campaign that a process remembered for a post (see
                    # Signatures) may have been merged since: follow it.
                    self.parent[record.id] = record.merged_into
            missing = {
                r.merged_into for r in records.values() if r.merged_into
            } - self.states.keys()

    def _capped(self, key: LinkKey) -> bool:
        spread = self.spreads.get(key)
        return spread is not None and spread.capped_at is not None

    def find(self, campaign: int) -> int:
        """The live campaign that ``campaign`` is (or was merged into)."""
        root = campaign
        while root in self.parent:
            root = self.parent[root]
        while campaign != root:  # shorten the path for the next look-up
            nxt = self.parent[campaign]
            self.parent[campaign] = root
            campaign = nxt
        return root

    # --- assigning ------------------------------------------------------------------

    def assign(self, post: PostToAssign) -> None:
        """Assign one post and update the in-memory index."""
        by_text = self._near_duplicate_campaigns(post)
        linked = set(by_text)
        related: dict[LinkKey, bool] = {}
        for key in post.links:
            if self._capped(key):
                continue
            holders = {self.find(c) for c in self.holders.get(key, {})}
            related[key] = bool(holders & by_text) or not holders
            linked |= holders
        if by_text:
            self.by_text += 1
        if linked - by_text:
            self.by_indicator += 1
        if linked:
            target = min(linked)  # the oldest campaign survives
            for other in sorted(linked - {target}):
                self._merge(target, other)
        else:
            target = self._create(post)
        self.states[target].absorb(post)
        self.post_campaign[post.post_id] = target
        self.seen_at[post.post_id] = post.seen_at
        self._count_links(post, target, related)

    def _near_duplicate_campaigns(self, post: PostToAssign) -> set[int]:
        """The live campaigns of the posts verified (by :meth:`_plan`) to be near-duplicates."""
        post_id, find = post.post_id, self.find
        sigs, in_batch = self.sigs, self.post_campaign
        found = {find(sigs[other][1]) for other in self.verified.get(post_id, ())}
        found.update(find(in_batch[other]) for other in self.near_in_batch.get(post_id, ()))
        return found

    def _create(self, post: PostToAssign) -> int:
        provisional = _NEW_BASE + len(self.created)
        self.states[provisional] = CampaignState(
            id=provisional,
            ref=new_ref(),
            created_at=self.now,
            first_seen=post.seen_at,
            last_seen=post.seen_at,
        )
        self.created.append(provisional)
        return provisional

    def _merge(self, survivor: int, merged: int) -> None:
        self.states[survivor].merge_from(self.states[merged])
        self.states[merged].merged_into = survivor
        self.states[merged].merged_at = self.now
        self.parent[merged] = survivor
        self.merges.append((merged, survivor))
        keys = self.held.pop(merged, set())
        self.held.setdefault(survivor, set()).update(keys)
        for key in keys:
            rows = self.holders[key]
            row = rows.pop(merged)
            mine = rows.get(survivor)
            if mine is None:
                rows[survivor] = _Row(row.posts, row.first_seen, row.last_seen, dirty=True)
            else:
                mine.posts += row.posts
                mine.first_seen = min(mine.first_seen, row.first_seen)
                mine.last_seen = max(mine.last_seen, row.last_seen)
                mine.dirty = True

    def _count_links(self, post: PostToAssign, campaign: int, related: dict[LinkKey, bool]) -> None:
        cap = self.rules.unrelated_posts_cap
        for key in post.links:
            if key not in related:
                continue  # capped: no longer counted or linked
            spread = self.spreads.get(key)
            unrelated = 1 if spread is None else spread.unrelated_posts + (not related[key])
            capped = self.now if unrelated >= cap else None
            if capped is not None:
                logger.info("%s %s reached %d unrelated posts: it no longer links", *key, unrelated)
            self.spreads[key] = Spread(key[0], key[1], unrelated, capped)
            self.dirty_spreads.add(key)
            rows = self.holders.setdefault(key, {})
            row = rows.get(campaign)
            if row is None:
                rows[campaign] = _Row(1, post.seen_at, post.seen_at, dirty=True)
                self.held.setdefault(campaign, set()).add(key)
            else:
                row.posts += 1
                row.first_seen = min(row.first_seen, post.seen_at)
                row.last_seen = max(row.last_seen, post.seen_at)
                row.dirty = True

    # --- writing --------------------------------------------------------------------

    def write(self) -> AssignmentResult:
        """Write the batch's changes to the unit of work and say what happened.

        Campaigns started and merged away within the batch were never seen
        outside it and are not stored; the others get their ids now.
        """
        born = [c for c in self.created if self.find(c) == c]
        real = dict(
            zip(
                born,
                self.campaigns.create_many([self.states[c].to_record() for c in born]),
                strict=True,
            )
        )
        for provisional, cid in real.items():
            self.states[provisional].id = cid

        def stored(campaign: int) -> int:
            root = self.find(campaign)
            return real.get(root, root)

        stored_merges = [(m, s) for m, s in self.merges if m < _NEW_BASE]
        self.campaigns.merge_many({m: stored(m) for m, _ in stored_merges})
        self.campaigns.assign_posts(
            [(p, stored(c), self.seen_at[p]) for p, c in self.post_campaign.items()]
        )
        # In key order, so that the index's pages are visited once each, in order.
        LshRepository(self.session).add(sorted(self.new_lsh))
        if self.known is not None:
            # Not known until the unit of work commits: a rolled-back id may be reused.
            indexed = {post_id for _, _, post_id in self.new_lsh}
            self.known.stage(
                {p: (self.new_sigs[p], stored(self.post_campaign[p])) for p in indexed}
            )
        roots = {self.find(c) for c in self.post_campaign.values()}
        records = {}
        for cid in sorted(roots | {m for m, _ in stored_merges}):
            state = self.states[cid]
            if state.merged_into is not None:
                state.merged_into = stored(cid)
            records[state.id] = state.to_record()
        born_ids = set(real.values())
        self.campaigns.save([r for cid, r in records.items() if cid not in born_ids])
        self.indicators.save(
            [
                CampaignIndicator(
                    kind, value, stored(cid), row.posts, row.first_seen, row.last_seen
                )
                for (kind, value), rows in self.holders.items()
                for cid, row in rows.items()
                if row.dirty and self.find(cid) == cid
            ]
        )
        self.indicators.save_spreads([self.spreads[k] for k in sorted(self.dirty_spreads)])
        return AssignmentResult(
            campaign_of={p: stored(c) for p, c in self.post_campaign.items()},
            touched={stored(c): records[stored(c)] for c in sorted(roots)},
            created=tuple(self.states[c].ref for c in born),
            merges=tuple(
                (self.states[m].ref, self.states[self.find(s)].ref) for m, s in stored_merges
            ),
            by_text=self.by_text,
            by_indicator=self.by_indicator,
        )


#: Candidate pairs compared at once (each pair holds two 256-byte signatures).
_PAIRS = 8192


def _near_pairs(
    matrix: npt.NDArray[np.uint32], pairs: tuple[list[int], list[int]]
) -> list[tuple[int, int]]:
    """The pairs of rows of ``matrix`` whose signatures are near-duplicates."""
    left, right = np.asarray(pairs[0], dtype=np.intp), np.asarray(pairs[1], dtype=np.intp)
    near: list[tuple[int, int]] = []
    for start in range(0, len(left), _PAIRS):
        a, b = left[start : start + _PAIRS], right[start : start + _PAIRS]
        equal = np.count_nonzero(matrix[a] == matrix[b], axis=1)
        hits = np.flatnonzero(equal >= _MIN_EQUAL)
        near.extend(zip(a[hits].tolist(), b[hits].tolist(), strict=True))
    return near


def assign_posts(
    session: Session,
    posts: Sequence[PostToAssign],
    *,
    now: datetime,
    known: Signatures | None = None,
) -> AssignmentResult:
    """Assign stored posts to campaigns inside the caller's write unit of work.

    Takes the assignment lock first (see
    :meth:`~suar.store.campaigns.CampaignRepository.lock_for_assignment`).
    Every post must already be stored and must not have a campaign yet.
    ``known``, kept by a process from one batch to the next, spares it
    reading again the signatures it has seen; the batch stages its own, which
    the caller keeps (:meth:`Signatures.keep`) once the unit of work commits.
    """
    CampaignRepository(session).lock_for_assignment()
    if not posts:
        return AssignmentResult({}, {}, (), (), 0, 0)
    if any(p.signature is not None and len(p.bands) != BANDS for p in posts):
        raise ValueError(f"a fingerprint has {BANDS} band keys")
    batch = _Batch(session, posts, now, known)
    for post in posts:
        batch.assign(post)
    return batch.write()
