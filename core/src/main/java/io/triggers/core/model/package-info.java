/** Values and entities of the Triggers domain; every value validates itself on construction. */
package io.triggers.core.model;
