// A customer's partition is `partitionOf` (@rapport/event-store), the hash every partitioning shares.

/**
 * Partitions per member after a membership change: owners that are still members keep what they
 * hold up to an even share, the rest go to the members holding fewest (few moves, even spread).
 */
export function balance(owners: readonly (string | null)[], members: readonly string[]): (string | null)[] {
  if (members.length === 0) return owners.map(() => null);
  const sorted = [...members].sort();
  const share = Math.ceil(owners.length / sorted.length);
  const held = new Map(sorted.map((m) => [m, 0]));
  const next = owners.map((owner) => {
    if (owner === null || !held.has(owner) || held.get(owner)! >= share) return null;
    held.set(owner, held.get(owner)! + 1);
    return owner;
  });
  // Fewer than `share` for some members only when partitions do not divide evenly.
  const floor = Math.floor(owners.length / sorted.length);
  for (let p = 0; p < next.length; p++) {
    if (next[p] !== null) continue;
    const fewest = sorted.reduce((best, m) => (held.get(m)! < held.get(best)! ? m : best), sorted[0]!);
    next[p] = fewest;
    held.set(fewest, held.get(fewest)! + 1);
  }
  // Take from members over the floor for members below it (a member that just joined).
  for (const member of sorted) {
    while (held.get(member)! < floor) {
      const donor = sorted.find((m) => held.get(m)! > floor);
      if (!donor) break;
      const p = next.lastIndexOf(donor);
      next[p] = member;
      held.set(donor, held.get(donor)! - 1);
      held.set(member, held.get(member)! + 1);
    }
  }
  return next;
}
