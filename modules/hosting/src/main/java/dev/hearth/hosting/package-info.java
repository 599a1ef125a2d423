/**
 * The hosting module: subdomains ({@code puter-subdomains}) and serving websites from users' folders.
 */
package dev.hearth.hosting;
