/**
 * The AI module: chat, image, speech and OCR providers behind Puter's driver interfaces.
 */
package dev.hearth.ai;
