/**
 * Classes that break the architecture rules on purpose, laid out like the real modules below this
 * package, so that each rule can be shown to report them; production rules never import them.
 */
package io.triggers.architecture.violations;
