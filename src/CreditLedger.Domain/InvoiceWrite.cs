namespace CreditLedger.Domain;

/// <summary>How a command changes the stored invoice.</summary>
public enum InvoiceWrite
{
    /// <summary>The invoice is not touched.</summary>
    None,

    /// <summary>A new invoice (apply): its id must not exist yet.</summary>
    Insert,

    /// <summary>A pending invoice is paid or voided.</summary>
    Update,
}
