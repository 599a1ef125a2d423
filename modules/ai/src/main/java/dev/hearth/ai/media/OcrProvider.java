package dev.hearth.ai.media;

import java.util.Map;

import dev.hearth.drivers.Args;
import dev.hearth.drivers.DriverFile;

/** One way to read text in an image or document (a {@code puter-ocr} provider, spec 5.6). */
interface OcrProvider {

    /** The provider's name, as {@code provider} or the driver name selects it. */
    String name();

    /** The usage type of one page. */
    String usageType(Args args);

    /** The recognised text as {@code {"blocks":[{type, confidence?, text}...], ...}}; failures are driver errors. */
    Map<String, Object> recognize(DriverFile source, Args args);
}
