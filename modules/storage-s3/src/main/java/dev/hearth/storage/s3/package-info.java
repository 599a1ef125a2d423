/**
 * The S3 storage module: file content in any S3-compatible object store instead of the local disk.
 */
package dev.hearth.storage.s3;
