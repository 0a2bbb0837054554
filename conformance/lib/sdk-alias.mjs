// node --import ./lib/sdk-alias.mjs FILE runs FILE with "@polar-sh/sdk"
// (and its subpaths) resolved to the npm alias POLAR_SDK_PACKAGE names
// (polar-sdk-049 or polar-sdk-1), so that the README's snippets run here
// verbatim although both SDK versions live in one node_modules.
import { register } from "node:module";

const target = process.env.POLAR_SDK_PACKAGE;
if (!target) throw new Error("sdk-alias: set POLAR_SDK_PACKAGE to polar-sdk-049 or polar-sdk-1");
register("./sdk-alias-hooks.mjs", import.meta.url, { data: { target } });
