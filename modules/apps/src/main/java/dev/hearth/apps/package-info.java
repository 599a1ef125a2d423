/**
 * The apps module: the app registry ({@code puter-apps}), app icons, file associations and app launches.
 */
package dev.hearth.apps;
