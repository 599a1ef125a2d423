/**
 * The apps module: the app registry ({@code puter-apps}, driver {@code es:app}), app icons, file associations and
 * app launches. {@link dev.hearth.apps.AppRegistry} is the service; {@link dev.hearth.apps.spi.PrivateAppAccess} the
 * extension point for private apps.
 */
package dev.hearth.apps;
