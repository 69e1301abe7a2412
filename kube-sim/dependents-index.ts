/** Which stored objects name an owner uid in their ownerReferences: what garbage collection follows on delete. */

interface Owned { metadata: { ownerReferences?: { uid: string }[] } }

export class DependentsIndex {
  /** owner uid → `resource|key` of each dependent */
  private readonly byOwner = new Map<string, Set<string>>();

  /** Records that the object at `ref` changed from `prev` to `next` (either may be absent). */
  update(ref: string, next: Owned | undefined, prev: Owned | undefined): void {
    for (const owner of prev?.metadata.ownerReferences ?? []) this.byOwner.get(owner.uid)?.delete(ref);
    for (const owner of next?.metadata.ownerReferences ?? []) {
      let set = this.byOwner.get(owner.uid);
      if (!set) {
        set = new Set();
        this.byOwner.set(owner.uid, set);
      }
      set.add(ref);
    }
  }

  /** The `resource|key` of every dependent of an owner, as a snapshot. */
  of(uid: string): string[] {
    return [...(this.byOwner.get(uid) ?? [])];
  }

  forget(uid: string): void {
    this.byOwner.delete(uid);
  }
}
