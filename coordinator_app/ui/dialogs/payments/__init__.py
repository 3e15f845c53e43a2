"""The payment dialogs (issue #28): a meeting's payment (``meeting``), the fields every payment
shows (``fields``) and a payment's receipts (``receipts``). The finance list, rates and
activities dialogs are in ``ui/dialogs/payments_dialogs.py``."""
