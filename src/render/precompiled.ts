/**
 * The built-in templates (`templates/**\/*.hbs`) precompiled by Handlebars (`Handlebars.precompile` with
 * {@link TEMPLATE_OPTIONS}), keyed by the template's text. Empty in the module tree that tsc builds
 * (`dist/src/`); the bundle the `bin` runs (`scripts/bundle.mjs`) replaces this module with the map filled at
 * build time, so that a run neither loads Handlebars' compiler nor compiles a built-in template (~20-30 ms
 * per run: issue 6). Keyed by text, a template edited after the build, or a team's override, is simply not
 * found here and is compiled at run time (`./templates.ts`); both ways give the same template function.
 */

/**
 * How every template is compiled: `noEscape` (Handlebars would otherwise HTML-escape `'` as `&#x27;`) and
 * `strict` (a field the view lacks is an error, not an empty string). Handlebars bakes both into the
 * compiled code, so the build's precompile and the run time's compile use this one object.
 */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;

/** A template's precompiled specification: the object `Handlebars.precompile`'s JavaScript evaluates to. */
export type TemplateSpec = object;

/** Precompiled specifications of the built-in templates by template text (filled in the bundle only). */
export const PRECOMPILED: ReadonlyMap<string, TemplateSpec> = new Map();
