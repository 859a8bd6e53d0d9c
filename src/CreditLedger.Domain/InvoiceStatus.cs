namespace CreditLedger.Domain;

/// <summary>The state of an invoice that credits were applied to.</summary>
public enum InvoiceStatus
{
    /// <summary>Credits applied and not yet consumed: they are pending.</summary>
    Pending,

    /// <summary>Paid: its applications are consumed.</summary>
    Paid,

    /// <summary>Voided: its applications went back to their grants.</summary>
    Voided,
}
