/**
 * A Windows `<Event>` element as a flat record with the field names of the `.evtx` reader's flattening (the
 * python-evtx shape): System values by name (`Provider` is the provider's Name, `TimeCreated` its SystemTime,
 * the attributes of Correlation, Execution and Security as their own fields), then `EventData/Data[@Name]`
 * values by name, unnamed Data as `Data_1`, `Data_2`, ..., and UserData leaves by tag. Empty values are null.
 */
import type { XmlNode } from './xmlScanner.js';

const ATTRIBUTE_ELEMENTS = new Set(['Correlation', 'Execution', 'Security']);

/** Leaves of an element (elements without child elements) by tag, depth first. */
function putLeaves(element: XmlNode, put: (key: string, value: string | null) => void): void {
  if (element.children.length === 0) {
    put(element.name, element.text === '' ? null : element.text);
    return;
  }
  for (const child of element.children) putLeaves(child, put);
}

/** The flat record of one `<Event>`; a value named like a System field is prefixed (`EventData.Computer`). */
export function xmlEventToFlat(event: XmlNode): Record<string, string | number | null> {
  const flat: Record<string, string | number | null> = {};
  const system = event.children.find((c) => c.name === 'System');
  for (const child of system?.children ?? []) {
    if (child.name === 'Provider') flat.Provider = child.attributes.Name ?? null;
    else if (child.name === 'TimeCreated') flat.TimeCreated = child.attributes.SystemTime ?? null;
    else if (ATTRIBUTE_ELEMENTS.has(child.name)) Object.assign(flat, child.attributes);
    else flat[child.name] = child.text.trim() === '' ? null : child.text.trim();
  }
  const systemNames = new Set(Object.keys(flat));
  const put = (section: string, key: string, value: string | null): void => {
    flat[systemNames.has(key) ? `${section}.${key}` : key] = value;
  };
  for (const section of event.children) {
    if (section.name === 'EventData') {
      let unnamed = 0;
      for (const item of section.children) {
        const value = item.text === '' ? null : item.text;
        if (item.name === 'Data') put(section.name, item.attributes.Name ?? `Data_${++unnamed}`, value);
        else put(section.name, item.name, value);
      }
    } else if (section.name === 'UserData') {
      for (const child of section.children) putLeaves(child, (key, value) => put(section.name, key, value));
    }
  }
  return flat;
}
