/** The field tables of Kubernetes' generated.proto files, parsed from their text: message → field number → name and type. */

/** [field number, JSON name, type, 'r' repeated | 'm' map | ''] ; map types are `map<key,value>` */
export type ProtoField = [number, string, string, string];
export type ProtoSchema = Record<string, ProtoField[]>;

/** Parses one generated.proto (flat messages, proto2 labels, map fields) into fully qualified message tables. */
export function parseProtoText(text: string): ProtoSchema {
  const pkg = /^package\s+([\w.]+);/m.exec(text)?.[1] ?? '';
  const out: ProtoSchema = {};
  let current: ProtoField[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const start = /^message\s+(\w+)\s*\{/.exec(line);
    if (start) {
      current = [];
      out[`${pkg}.${start[1]}`] = current;
      continue;
    }
    if (line === '}') {
      current = undefined;
      continue;
    }
    if (!current) continue;
    const map = /^map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)/.exec(line);
    if (map) {
      current.push([Number(map[4]), map[3], `map<${qualify(map[1], pkg)},${qualify(map[2], pkg)}>`, 'm']);
      continue;
    }
    const field = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)/.exec(line);
    if (field) current.push([Number(field[4]), field[3], qualify(field[2], pkg), field[1] === 'repeated' ? 'r' : '']);
  }
  return out;
}

const SCALARS = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'double', 'float', 'fixed32', 'fixed64']);

function qualify(type: string, pkg: string): string {
  if (type.startsWith('.')) return type.slice(1);
  if (SCALARS.has(type) || type.includes('.')) return type;
  return `${pkg}.${type}`;
}
