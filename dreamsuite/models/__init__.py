"""All tables. Import from here so SQLModel.metadata (and Alembic) sees every one."""

from dreamsuite.models.account import AuthSession, EmailToken, Membership, Role, ROLE_RANK, User, Workspace
from dreamsuite.models.api import ApiToken, DeliveryStatus, TokenScope, Webhook, WebhookDelivery
from dreamsuite.models.chat import ChatMessage, Conversation
from dreamsuite.models.connection import (
    ConnectionStatus,
    OAuthState,
    PlatformConnection,
    SyncRun,
    SyncStatus,
)
from dreamsuite.models.inbox import CommentReply
from dreamsuite.models.invitation import Invitation, InvitationStatus
from dreamsuite.models.insight import (
    PRIORITY_RANK,
    FollowerAnomaly,
    Goal,
    Insight,
    InsightType,
    Priority,
    StoredForecast,
    XpEvent,
)
from dreamsuite.models.media import MediaAsset
from dreamsuite.models.metrics import AudienceSnapshot, Comment, ContentPost, DailyMetric
from dreamsuite.models.notification import Notification
from dreamsuite.models.promotion import (
    ActionStatus,
    AdCampaign,
    AdCreative,
    AdDailyMetric,
    BrainRun,
    ChannelKind,
    MerchDaily,
    PromotionAction,
    PromotionChannel,
)
from dreamsuite.models.publishing import (
    DestinationEvent,
    DestinationStatus,
    PostDestination,
    PostStatus,
    QueueSlot,
    ScheduledPost,
)

ALL_MODELS = [
    User, Workspace, Membership, AuthSession, EmailToken,
    PlatformConnection, OAuthState, SyncRun,
    DailyMetric, ContentPost, Comment, AudienceSnapshot,
    Conversation, ChatMessage,
    ScheduledPost, PostDestination, DestinationEvent, QueueSlot, MediaAsset,
    Notification,
    Insight, Goal, XpEvent, StoredForecast, FollowerAnomaly,
    ApiToken, Webhook, WebhookDelivery,
    CommentReply,
    Invitation,
    PromotionChannel, AdCampaign, AdCreative, AdDailyMetric, MerchDaily, BrainRun, PromotionAction,
]

__all__ = [m.__name__ for m in ALL_MODELS] + [
    "ALL_MODELS", "Role", "ROLE_RANK", "ConnectionStatus", "SyncStatus",
    "PostStatus", "DestinationStatus", "InsightType", "Priority", "PRIORITY_RANK",
    "TokenScope", "DeliveryStatus", "InvitationStatus", "ChannelKind", "ActionStatus",
]
