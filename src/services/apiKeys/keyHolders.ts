// The places besides a profile that may hold one of its keys (a CLI profile it was saved to, the
// terminal variable), and handing a key over from one to another: CoderFlow's docs rotate a key
// by updating every place that uses it before the old key is deleted, and signing a profile in
// again replaces its key the same way. No `vscode` here: the terminal's holder is made in src/vscode.
import { toAuthError } from '../../core/errors';
import * as l10n from '@vscode/l10n';

export interface KeyHolder {
  /** For a person: "the CoderFlow CLI config /home/me/.coderflow/config.json". */
  readonly name: string;
  /**
   * Puts `to` wherever `from` is held, matched by value as it is now (not by what was once
   * written). Resolves with the places changed, for a person; none when it does not hold `from`.
   * Rejects when it holds or may hold `from` but could not be changed.
   */
  replace(from: string, to: string): Promise<string[]>;
}

/** A holder that could not be changed, and why: it may still use the old key. */
export interface StuckHolder {
  name: string;
  reason: string;
}

export interface Handover {
  /** Places that now hold the new key. */
  moved: string[];
  stuck: StuckHolder[];
  /** Puts the old key back wherever it was moved; resolves false when a place could not be put back. */
  undo(): Promise<boolean>;
}

/** Moves every holder from one key to another; one holder's failure does not stop the others. */
export async function handOver(holders: readonly KeyHolder[], from: string, to: string): Promise<Handover> {
  const moved: Array<{ holder: KeyHolder; places: string[] }> = [];
  const stuck: StuckHolder[] = [];
  for (const holder of holders) {
    try {
      const places = await holder.replace(from, to);
      if (places.length > 0) moved.push({ holder, places });
    } catch (e) {
      stuck.push({ name: holder.name, reason: toAuthError(e).message });
    }
  }
  return {
    moved: moved.flatMap((m) => m.places),
    stuck,
    async undo() {
      let all = true;
      for (const { holder } of moved) {
        all = (await holder.replace(to, from).then(() => true, () => false)) && all;
      }
      return all;
    },
  };
}

/** What the person is asked before a key that a holder may still use is revoked. */
export interface RevokeQuestion {
  profileName: string;
  /** The key about to be revoked, for a person: `"VS Code on host"` or `pc_…a1b2`. */
  keyName: string;
  stuck: StuckHolder[];
}

/** The holders to move and the question to ask, given by the vscode layer to rotation and sign-in. */
export interface KeyRetirement {
  holders(): KeyHolder[];
  /** True revokes the key anyway; false keeps it live for the holders that still use it. */
  confirmRevoke(question: RevokeQuestion): Promise<boolean>;
}

/** "CLI profile 'work' in /x/config.json and CODER_API_KEY of new terminals" */
export function listPlaces(places: readonly string[]): string {
  if (places.length <= 1) return places[0] ?? '';
  return l10n.t('{0} and {1}', places.slice(0, -1).join(', '), places.at(-1) ?? '');
}
