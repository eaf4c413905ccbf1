/** Element names, in document order, of a well-formed XML document; throws naming the first fault otherwise. */
export function parseXmlElements(text: string): Array<{ name: string; attributes: Record<string, string> }> {
  const elements: Array<{ name: string; attributes: Record<string, string> }> = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const NAME = /^[A-Za-z_][\w.:-]*/;
  const checkEntities = (chunk: string, at: number) => {
    const amp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(chunk);
    if (amp) throw new Error(`bare & at ${at + amp.index}`);
  };
  const checkText = (chunk: string, at: number) => {
    checkEntities(chunk, at);
    if (stack.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root element at ${at}`);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      checkText(text.slice(i), i);
      break;
    }
    checkText(text.slice(i, lt), i);
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt);
      if (end < 0 || lt !== 0) throw new Error(`bad processing instruction at ${lt}`);
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      if (end < 0) throw new Error(`unclosed comment at ${lt}`);
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = text.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`</${name}> at ${lt} closes nothing open`);
      i = gt + 1;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = NAME.exec(body)?.[0];
    if (!name) throw new Error(`bad element name at ${lt}`);
    const attributes: Record<string, string> = {};
    let rest = body.slice(name.length);
    for (;;) {
      rest = rest.replace(/^\s+/, '');
      if (rest === '') break;
      const m = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(rest);
      if (!m) throw new Error(`bad attribute in <${name}> at ${lt}: ${rest.slice(0, 30)}`);
      if (m[1] in attributes) throw new Error(`attribute ${m[1]} twice in <${name}> at ${lt}`);
      const value = m[3] ?? m[4];
      checkEntities(value, lt);
      attributes[m[1]] = value;
      rest = rest.slice(m[0].length);
    }
    if (stack.length === 0 && ++roots > 1) throw new Error(`a second root element at ${lt}`);
    elements.push({ name, attributes });
    if (!selfClosing) stack.push(name);
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}
