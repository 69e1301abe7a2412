/** The image catalog (images/catalog.yaml): which public images and tags exist and what each holds and runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_DIR } from '../package-dir.js';
import { normaliseImage } from '../scenario/scenario.js';

export interface CatalogImage {
  /** the userland (a set under `os:`); without it the catalog does not know the image's programs */
  os?: string;
  tags?: string[];
  entrypoint?: string[];
  cmd?: string[];
  executables?: string[];
  ports?: number[];
  http?: string[];
  memory?: string;
  gracefulStop?: boolean;
  defaultExit?: { exitCode: number; log?: string[] };
  requiresEnv?: { anyOf: string[]; exitCode: number; log: string[] };
}

export interface ImageCatalog {
  os: Record<string, string[]>;
  images: Record<string, CatalogImage>;
}

/** One image reference resolved against the catalog: its entry and the programs of the variant its tag names. */
export interface KnownImage {
  repo: string;
  tag: string;
  entry: CatalogImage;
  /** the userland of this tag's variant (alpine, debian-slim, …) */
  os?: string;
  /** every program on the image's PATH; undefined when the catalog does not say (then commands are not checked) */
  executables?: Set<string>;
}

export const CATALOG_FILE = path.join(PACKAGE_DIR, 'images', 'catalog.yaml');

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => Number.isInteger(n));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkImage(name: string, raw: unknown, osNames: Set<string>): CatalogImage {
  const fail = (field: string, want: string): never => { throw new Error(`image catalog: images."${name}".${field} must be ${want}`); };
  if (!isRecord(raw)) return fail('', 'a mapping');
  const strings = (field: string): string[] | undefined => {
    const v = raw[field];
    return v === undefined || isStrings(v) ? v : fail(field, 'a list of strings');
  };
  const out: CatalogImage = {};
  if (raw.os !== undefined) out.os = typeof raw.os === 'string' && osNames.has(raw.os) ? raw.os : fail('os', `one of ${[...osNames].join(', ')}`);
  for (const field of ['tags', 'entrypoint', 'cmd', 'executables', 'http'] as const) {
    const v = strings(field);
    if (v) out[field] = v;
  }
  if (raw.ports !== undefined) out.ports = isNumbers(raw.ports) ? raw.ports : fail('ports', 'a list of port numbers');
  if (raw.memory !== undefined) out.memory = typeof raw.memory === 'string' ? raw.memory : fail('memory', 'a quantity such as "64Mi"');
  if (raw.gracefulStop !== undefined) out.gracefulStop = typeof raw.gracefulStop === 'boolean' ? raw.gracefulStop : fail('gracefulStop', 'true or false');
  const exit = raw.defaultExit;
  if (exit !== undefined) {
    if (!isRecord(exit) || typeof exit.exitCode !== 'number' || (exit.log !== undefined && !isStrings(exit.log))) return fail('defaultExit', '{exitCode, log?}');
    out.defaultExit = { exitCode: exit.exitCode, ...(exit.log ? { log: exit.log } : {}) };
  }
  const env = raw.requiresEnv;
  if (env !== undefined) {
    if (!isRecord(env) || !isStrings(env.anyOf) || typeof env.exitCode !== 'number' || !isStrings(env.log)) return fail('requiresEnv', '{anyOf, exitCode, log}');
    out.requiresEnv = { anyOf: env.anyOf, exitCode: env.exitCode, log: env.log };
  }
  return out;
}

/** Validates a parsed catalog; throws naming the first field that is wrong. */
export function imageCatalogFrom(raw: unknown): ImageCatalog {
  if (!isRecord(raw) || !isRecord(raw.os) || !isRecord(raw.images)) throw new Error('image catalog: needs the mappings "os" and "images"');
  const os: Record<string, string[]> = {};
  for (const [name, programs] of Object.entries(raw.os)) {
    if (!isStrings(programs)) throw new Error(`image catalog: os."${name}" must be a list of program names (quote words YAML reads otherwise, such as 'true')`);
    os[name] = programs;
  }
  const osNames = new Set(Object.keys(os));
  const images: Record<string, CatalogImage> = {};
  for (const [name, entry] of Object.entries(raw.images)) images[name] = checkImage(name, entry, osNames);
  return { os, images };
}

/** Reads and validates the catalog file (kube-sim's own by default). */
export function loadImageCatalog(file = CATALOG_FILE): ImageCatalog {
  return imageCatalogFrom(parse(readFileSync(file, 'utf8')));
}

/** The official images' variants: "-alpine" tags run on Alpine, "-slim" tags on Debian slim. */
function osOfTag(entry: CatalogImage, tag: string): string | undefined {
  if (entry.os && /(^|-)alpine/.test(tag)) return 'alpine';
  if (/(^|-)slim/.test(tag) && entry.os === 'buildpack-deps') return 'debian-slim';
  return entry.os;
}

/** The catalog's knowledge of an image reference, or undefined when it does not list the repository. */
export function lookupImage(catalog: ImageCatalog, image: string): KnownImage | undefined {
  const { repo, tag } = normaliseImage(image);
  const entry = catalog.images[repo];
  if (!entry) return undefined;
  const os = osOfTag(entry, tag);
  if (!os) return { repo, tag, entry };
  return { repo, tag, entry, os, executables: new Set([...(catalog.os[os] ?? []), ...(entry.executables ?? [])]) };
}
