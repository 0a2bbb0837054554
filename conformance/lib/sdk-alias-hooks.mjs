// Module resolution hooks for sdk-alias.mjs.
const name = "@polar-sh/sdk";
let target;

export function initialize(data) {
  target = data.target;
}

export async function resolve(specifier, context, next) {
  if (specifier === name || specifier.startsWith(`${name}/`)) {
    return next(target + specifier.slice(name.length), context);
  }
  return next(specifier, context);
}
