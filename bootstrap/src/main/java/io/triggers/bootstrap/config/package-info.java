/** The server's configuration: options, their parsing and the resulting settings. */
package io.triggers.bootstrap.config;
